"""Who the demo district's job seekers and volunteer coaches are.

Origins follow the main countries of origin of people seeking protection in Germany
(Syria, Ukraine, Afghanistan, Iraq, Turkey, Iran, Eritrea, Somalia), next to German job
seekers; each origin says which languages people speak (mother tongue and the others usual
there), how far their German typically is, how many are women, and what work they did
before. The proportions are plausible round numbers for a rural NRW district, not
statistics. Backgrounds name the skills and tools such work brings and the offers that
suit it, so that matches, gaps and placements in the demo make sense together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["BACKGROUNDS", "COACH_KINDS", "ORIGINS", "Background", "CoachKind", "Origin"]

Items = dict[str, int]


@dataclass(frozen=True)
class Origin:
    key: str
    share: float
    """Of all candidates."""
    women: float
    """Share of women among them."""
    names: str
    """Naming tradition (see :mod:`importers.demo.names`)."""
    tongues: tuple[tuple[str, float, dict[str, str]], ...]
    """(mother tongue, weight, other languages spoken by those with it → CEFR level)."""
    german: dict[str, int]
    """German level → weight; ``""`` = no German yet; ``native`` for German job seekers."""
    extra: tuple[tuple[str, tuple[str, ...], float], ...]
    """(language, possible levels, probability): school and second languages."""
    backgrounds: dict[str, int]
    """Previous work → weight."""
    refugee: bool = True


ORIGINS: tuple[Origin, ...] = (
    Origin(
        "syria",
        0.20,
        0.28,
        "ar",
        (("ar", 0.82, {}), ("ku", 0.18, {"ar": "C2"})),
        {"": 1, "A1": 10, "A2": 24, "B1": 35, "B2": 22, "C1": 8},
        (("en", ("A1", "A2", "B1"), 0.45), ("fr", ("A1", "A2"), 0.08)),
        {
            "schneider": 9,
            "bau": 13,
            "fliesen": 6,
            "maler": 6,
            "elektriker": 5,
            "installateur": 4,
            "kfz": 7,
            "baecker": 5,
            "koch": 6,
            "verkauf": 10,
            "schweisser": 5,
            "schlosser": 4,
            "landwirt": 5,
            "lager": 3,
            "fahrer": 5,
            "tischler": 4,
            "ohne": 10,
            "buero": 4,
        },
    ),
    Origin(
        "ukraine",
        0.20,
        0.55,
        "uk",
        (("uk", 0.7, {"ru": "C2"}), ("ru", 0.3, {"uk": "C1"})),
        {"": 2, "A1": 22, "A2": 34, "B1": 28, "B2": 11, "C1": 3},
        (("en", ("A2", "B1", "B2"), 0.6),),
        {
            "buero": 16,
            "pflegefachkraft": 9,
            "verkauf": 12,
            "koch": 6,
            "reinigung": 6,
            "lager": 7,
            "fahrer": 6,
            "schweisser": 5,
            "schlosser": 5,
            "elektriker": 4,
            "dreher": 4,
            "lebensmittel": 5,
            "bau": 5,
            "ohne": 6,
            "service": 5,
        },
    ),
    Origin(
        "afghanistan",
        0.12,
        0.22,
        "fa",
        (("prs", 0.65, {}), ("ps", 0.35, {"prs": "B2"})),
        {"": 2, "A1": 20, "A2": 35, "B1": 29, "B2": 11, "C1": 3},
        (("en", ("A1", "A2", "B1"), 0.3),),
        {
            "schneider": 12,
            "bau": 12,
            "landwirt": 14,
            "kfz": 8,
            "koch": 6,
            "verkauf": 8,
            "baecker": 6,
            "fahrer": 6,
            "lager": 4,
            "reinigung": 4,
            "schweisser": 4,
            "ohne": 16,
        },
    ),
    Origin(
        "iraq",
        0.07,
        0.30,
        "ar",
        (("ar", 0.6, {}), ("ku", 0.4, {"ar": "B2"})),
        {"": 1, "A1": 12, "A2": 28, "B1": 33, "B2": 20, "C1": 6},
        (("en", ("A1", "A2", "B1"), 0.4),),
        {
            "bau": 14,
            "fliesen": 5,
            "maler": 6,
            "elektriker": 6,
            "kfz": 8,
            "koch": 6,
            "verkauf": 10,
            "schweisser": 6,
            "landwirt": 8,
            "fahrer": 6,
            "ohne": 12,
            "buero": 5,
            "schneider": 4,
        },
    ),
    Origin(
        "turkey",
        0.06,
        0.28,
        "tr",
        (("tr", 0.6, {}), ("ku", 0.4, {"tr": "C2"})),
        {"": 3, "A1": 38, "A2": 34, "B1": 19, "B2": 6},
        (("en", ("A2", "B1", "B2"), 0.35),),
        {
            "bau": 12,
            "verkauf": 12,
            "koch": 8,
            "service": 8,
            "kfz": 8,
            "lager": 8,
            "fahrer": 8,
            "schneider": 6,
            "buero": 8,
            "ohne": 10,
            "reinigung": 4,
            "schweisser": 4,
            "tischler": 4,
        },
    ),
    Origin(
        "iran",
        0.04,
        0.40,
        "fa",
        (("fa", 1.0, {}),),
        {"A1": 18, "A2": 30, "B1": 31, "B2": 16, "C1": 5},
        (("en", ("A2", "B1", "B2"), 0.55),),
        {
            "buero": 18,
            "elektriker": 8,
            "schlosser": 6,
            "verkauf": 10,
            "koch": 6,
            "schneider": 6,
            "kfz": 6,
            "dreher": 6,
            "ohne": 10,
            "maler": 6,
            "installateur": 6,
        },
    ),
    Origin(
        "eritrea",
        0.03,
        0.30,
        "ti",
        (("ti", 1.0, {}),),
        {"A1": 24, "A2": 40, "B1": 26, "B2": 10},
        (("en", ("A1", "A2"), 0.5), ("ar", ("A1", "A2"), 0.2)),
        {
            "bau": 10,
            "landwirt": 14,
            "reinigung": 10,
            "lager": 8,
            "koch": 6,
            "kfz": 6,
            "ohne": 20,
            "schneider": 6,
            "fahrer": 6,
        },
    ),
    Origin(
        "somalia",
        0.03,
        0.40,
        "so",
        (("so", 1.0, {}),),
        {"A1": 26, "A2": 40, "B1": 24, "B2": 10},
        (("en", ("A1", "A2", "B1"), 0.4), ("ar", ("A2", "B1"), 0.35)),
        {
            "bau": 8,
            "landwirt": 10,
            "reinigung": 10,
            "lager": 10,
            "koch": 6,
            "verkauf": 10,
            "fahrer": 8,
            "ohne": 22,
            "schneider": 4,
        },
    ),
    Origin(
        "germany",
        0.25,
        0.38,
        "de",
        (("de", 1.0, {}),),
        {"native": 1},
        (("en", ("A2", "B1", "B2"), 0.7), ("fr", ("A1", "A2"), 0.08)),
        {
            "lager": 18,
            "fahrer": 8,
            "schlosser": 8,
            "schweisser": 6,
            "dreher": 4,
            "verkauf": 12,
            "pflege": 8,
            "reinigung": 6,
            "koch": 5,
            "service": 4,
            "bau": 8,
            "maler": 4,
            "elektriker": 3,
            "lebensmittel": 6,
            "buero": 6,
            "ohne": 6,
        },
        refugee=False,
    ),
)


@dataclass(frozen=True)
class Background:
    key: str
    skills: Items
    tools: Items
    offers: tuple[str, ...]
    """Offer templates (see :mod:`importers.demo.catalogue`) that such people are proposed for."""
    chamber: str | None = None
    """Who certifies this trade in Germany (for German job seekers' certificates)."""
    manual: bool = True


BACKGROUNDS: dict[str, Background] = {
    b.key: b
    for b in (
        Background(
            "lager",
            {
                "s-order-picking": 2,
                "s-pack-goods": 2,
                "s-stack-goods": 2,
                "s-loading": 2,
                "s-lift-heavy-weights": 2,
                "s-goods-receipt": 1,
            },
            {"w-pallet-truck": 1, "w-forklift": 2, "w-hand-scanner": 1, "w-hand-pallet-truck": 2},
            (
                "lager-helfer",
                "kommissionierer",
                "versand",
                "staplerfahrer",
                "praktikum-lager",
                "frischelager",
                "getraenkemarkt",
            ),
            "IHK Aachen",
        ),
        Background(
            "fahrer",
            {"s-drive-vehicles": 3, "s-loading": 2, "s-secure-goods": 1},
            {"w-van": 2, "w-truck-ce": 2},
            ("berufskraftfahrer", "lager-helfer", "versand"),
            "IHK Aachen",
        ),
        Background(
            "schweisser",
            {
                "s-mag-welding": 2,
                "s-welding-equipment": 2,
                "s-metalworking-tools": 2,
                "s-grinding": 2,
                "s-protective-gear": 1,
            },
            {"w-angle-grinder": 2, "w-mag-welder": 2},
            ("schweisser", "metall-helfer", "praktikum-metall", "azubi-konstruktionsmechaniker"),
            "IHK Aachen",
        ),
        Background(
            "schlosser",
            {
                "s-metalworking-tools": 2,
                "s-assemble-machines": 2,
                "s-machine-maintenance": 2,
                "s-drill-press": 2,
                "s-technical-drawings": 1,
                "s-assemble-metal-parts": 2,
            },
            {"w-drill-press": 2, "w-angle-grinder": 2, "w-cordless-drill": 2, "w-torque-wrench": 1},
            (
                "instandhalter",
                "montagehelfer",
                "metall-helfer",
                "azubi-industriemechaniker",
                "praktikum-metall",
            ),
            "IHK Aachen",
        ),
        Background(
            "dreher",
            {
                "s-measurement": 2,
                "s-technical-drawings": 2,
                "s-metalworking-tools": 2,
                "s-cnc-lathe": 1,
            },
            {"w-caliper": 2, "w-micrometer": 1, "w-cnc-lathe": 1},
            ("cnc-bediener", "cnc-dreher", "qualitaetspruefer", "azubi-maschinenanlagenfuehrer"),
            "IHK Aachen",
        ),
        Background(
            "schneider",
            {"s-sew-fabric": 3, "s-sew-textiles": 3, "s-upholstery-repair": 1},
            {"w-industrial-sewing-machine": 2},
            ("maschinennaeher", "polsterer"),
            "HWK Aachen",
        ),
        Background(
            "baecker",
            {"s-bakery-products": 3, "s-bakery-ovens": 2, "s-food-hygiene": 1},
            {"w-dough-mixer": 2, "w-deck-oven": 1},
            ("baeckereihelfer", "backwaren-helfer", "azubi-baecker"),
            "HWK Aachen",
        ),
        Background(
            "koch",
            {
                "s-food-preparation": 3,
                "s-recipes": 2,
                "s-food-cutting-tools": 3,
                "s-clean-kitchen": 2,
                "s-hospitality-team": 1,
            },
            {"w-combi-steamer": 1, "w-dishwasher": 1},
            ("kuechenhilfe", "koch", "kantine", "spuelkraft", "praktikum-gastro", "azubi-koch"),
            "IHK Aachen",
        ),
        Background(
            "service",
            {
                "s-serve-food": 2,
                "s-serve-beverages": 2,
                "s-greet-guests": 2,
                "s-customer-service": 2,
            },
            {"w-espresso-machine": 2, "w-pos-system": 1},
            ("servicekraft", "kantine", "fachverkaeufer-baeckerei"),
            "IHK Aachen",
        ),
        Background(
            "verkauf",
            {
                "s-customer-service": 2,
                "s-sell-products": 3,
                "s-cash-register": 2,
                "s-stock-shelves": 2,
                "s-process-payments": 2,
            },
            {"w-pos-system": 1, "w-price-gun": 1},
            (
                "verkaeufer",
                "kassierer",
                "regalauffueller",
                "verkaeufer-textil",
                "baumarkt",
                "praktikum-einzelhandel",
            ),
            "IHK Aachen",
        ),
        Background(
            "bau",
            {
                "s-lay-bricks": 2,
                "s-mix-concrete": 3,
                "s-pour-concrete": 2,
                "s-plaster": 2,
                "s-construction-team": 2,
                "s-lift-heavy-weights": 2,
            },
            {"w-trowel": 3, "w-spirit-level": 2, "w-concrete-mixer": 2},
            ("bauhelfer", "maurer", "strassenbauhelfer", "praktikum-bau", "azubi-maurer"),
            "HWK Aachen",
        ),
        Background(
            "fliesen",
            {"s-lay-tiles": 3, "s-plaster": 1, "s-2d-plans": 1},
            {"w-tile-cutter": 3, "w-trowel": 2, "w-spirit-level": 2},
            ("fliesenleger", "bauhelfer", "trockenbauer"),
            "HWK Aachen",
        ),
        Background(
            "maler",
            {"s-paint-surfaces": 3, "s-prepare-painting": 2, "s-hang-wallpaper": 1, "s-plaster": 1},
            {"w-paint-sprayer": 1},
            ("malerhelfer", "azubi-maler"),
            "HWK Aachen",
        ),
        Background(
            "elektriker",
            {"s-install-sockets": 2, "s-electricity-principles": 2, "s-hand-tools": 2},
            {"w-multimeter": 2, "w-voltage-tester": 1},
            ("elektrohelfer", "azubi-elektroniker"),
            "HWK Aachen",
        ),
        Background(
            "installateur",
            {"s-install-plumbing": 2, "s-plumbing-tools": 2, "s-metalworking-tools": 1},
            {"w-pipe-press": 1},
            ("shk-helfer", "azubi-shk"),
            "HWK Aachen",
        ),
        Background(
            "kfz",
            {"s-vehicle-maintenance": 3, "s-hand-tools": 3, "s-power-tools": 1},
            {"w-torque-wrench": 1, "w-pressure-washer": 1},
            ("reifenmonteur", "azubi-kfz"),
            "HWK Aachen",
        ),
        Background(
            "tischler",
            {"s-hand-tools": 3, "s-power-tools": 2, "s-woodworking-tools": 2},
            {"w-circular-saw": 2, "w-cordless-drill": 2},
            ("tischlerhelfer", "azubi-tischler"),
            "HWK Aachen",
        ),
        Background(
            "landwirt",
            {
                "s-harvest-crop": 3,
                "s-outdoor-work": 3,
                "s-feed-livestock": 2,
                "s-milk-animals": 2,
                "s-agricultural-machines": 2,
                "s-select-produce": 2,
            },
            {"w-tractor": 2, "w-pruning-shears": 2},
            ("erntehelfer", "gemuesebau", "tierwirt-helfer", "sortierung", "galabau-helfer"),
            "Landwirtschaftskammer NRW",
        ),
        Background(
            "pflege",
            {"s-elderly-care": 2, "s-basic-patient-support": 1, "s-empathy": 2},
            {"w-wheelchair": 1},
            ("pflegehelfer", "betreuungskraft", "praktikum-pflege", "hauswirtschaft"),
            "Pflegeschule (staatliche Prüfung)",
        ),
        Background(
            "pflegefachkraft",
            {
                "s-elderly-care": 2,
                "s-basic-patient-support": 3,
                "s-care-hygiene": 2,
                "s-vital-signs": 3,
                "s-support-nurses": 3,
                "s-care-documentation": 2,
            },
            {"w-bp-monitor": 3, "w-care-bed": 2},
            ("pflegehelfer", "pflegeassistenz", "azubi-pflegefachkraft"),
            "Pflegeschule (staatliche Prüfung)",
        ),
        Background(
            "reinigung",
            {
                "s-clean-surfaces": 2,
                "s-cleaning-duties": 2,
                "s-clean-rooms": 2,
                "s-cleaning-agents": 1,
            },
            {"w-scrubber-dryer": 1},
            ("reinigungskraft", "housekeeping", "reinigung-maschine", "hauswirtschaft"),
            "HWK Aachen",
        ),
        Background(
            "lebensmittel",
            {
                "s-food-hygiene": 1,
                "s-hygienic-food-processing": 2,
                "s-packaging-machines": 1,
                "s-pack-goods": 2,
            },
            {"w-packaging-machine": 1},
            ("produktion-helfer", "maschinenfuehrer-verpackung", "zerlegung", "frischelager"),
            "IHK Aachen",
        ),
        Background(
            "buero",
            {"s-computer-literacy": 3, "s-customer-service": 2},
            {"w-office-software": 3},
            (
                "kassierer",
                "verkaeufer",
                "azubi-einzelhandel",
                "azubi-hotelfach",
                "azubi-pflegefachkraft",
            ),
            "IHK Aachen",
            manual=False,
        ),
        Background(
            "ohne",
            {"s-teamwork": 1},
            {},
            (
                "praktikum-lager",
                "praktikum-pflege",
                "praktikum-gastro",
                "erntehelfer",
                "regalauffueller",
                "reinigungskraft",
                "praktikum-handwerk",
                "azubi-fachlagerist",
                "azubi-maler",
            ),
            manual=False,
        ),
    )
}


@dataclass(frozen=True)
class CoachKind:
    share: float
    names: str
    languages: tuple[str, ...]
    """Always spoken (German first)."""
    extra: tuple[tuple[str, float], ...] = field(default_factory=tuple)
    """(language, probability)."""


COACH_KINDS: tuple[CoachKind, ...] = (
    CoachKind(0.55, "de", ("de",), (("en", 0.6), ("fr", 0.15), ("ru", 0.03))),
    CoachKind(0.10, "tr", ("de", "tr"), (("ku", 0.25), ("en", 0.3))),
    CoachKind(0.09, "ru", ("de", "ru"), (("uk", 0.4),)),
    CoachKind(0.12, "ar", ("de", "ar"), (("ku", 0.2), ("en", 0.4))),
    CoachKind(0.07, "fa", ("de", "fa"), (("prs", 0.6), ("en", 0.3))),
    CoachKind(0.07, "uk", ("de", "uk", "ru"), (("en", 0.4),)),
)
"""Volunteers: mostly long-settled Germans, many with family roots in the refugees' regions
(Turkish- and Russian-German families, Syrians, Iranians and Ukrainians who came earlier)."""
