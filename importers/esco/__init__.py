"""The ESCO importer: the official CSV download (v1.1/v1.2 layout) into the graph.

``import_esco(store, dirs, languages=…)`` locates the files (``layout``), checks every
header, reads and checks every row (``read``), maps ESCO URIs to node ids and writes one
merge transaction (``importer``). See the README section "Taxonomy: ESCO and KldB".

"This service uses the ESCO classification of the European Commission."
"""

from importers.esco.importer import ESCO_RELATIONSHIPS, EscoReport, esco_id, import_esco
from importers.esco.layout import locate

__all__ = ["ESCO_RELATIONSHIPS", "EscoReport", "esco_id", "import_esco", "locate"]
