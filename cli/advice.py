"""The advisor's commands: ``gap``, ``plan`` and ``match``, with their readable output.

Each prints a short German/English explanation, or with ``--json`` one JSON document in
the shape the API will serve.
"""

from __future__ import annotations

import json
from typing import Any

import click

from cli.context import Context
from graph.store import GraphStore

# --- gap and route -----------------------------------------------------------------------


@click.command()
@click.argument("candidate")
@click.argument("offer")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def gap(obj: Context, candidate: str, offer: str, as_json: bool) -> None:
    """What CANDIDATE has and lacks for OFFER."""
    from graph.gap import gap_to_json, skill_gap

    with obj.store() as store:
        result = skill_gap(store.candidate_profile(candidate), store.offer_profile(offer))
    if as_json:
        _print_json(gap_to_json(result))
        return
    status = "bereit / ready" if result.ready else "noch nicht bereit / not ready yet"
    click.echo(f"{candidate} → {offer}: {status}")
    for line in result.lines:
        mark = "✓" if line.met else "✗"
        need = "wesentlich/essential" if line.essential else "optional"
        label = line.labels.get("de") or line.labels.get("en") or line.id
        click.echo(
            f"  {mark} {line.kind:<8} {label:<40} {line.current or '–'!s:>6} / "
            f"{line.required!s:<6} {need}"
        )
    for skill in result.occupation_skills_missing:
        label = skill.labels.get("de") or skill.labels.get("en") or skill.id
        click.echo(f"  ? Beruf/occupation (ESCO): {label}")


@click.command()
@click.argument("candidate")
@click.argument("offer")
@click.option(
    "--objective",
    type=click.Choice(["weeks", "ready_date"]),
    default="weeks",
    show_default=True,
    help="Shortest total training, or earliest ready date.",
)
@click.option(
    "--from",
    "start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Earliest start (YYYY-MM-DD); default today.",
)
@click.option("--alternatives", type=click.IntRange(0, 10), default=3, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def plan(
    obj: Context,
    candidate: str,
    offer: str,
    objective: str,
    start: Any,
    alternatives: int,
    as_json: bool,
) -> None:
    """The shortest training route that makes CANDIDATE ready for OFFER."""
    from graph.routes import route_for, route_to_json

    with obj.store() as store:
        report = route_for(
            store,
            candidate,
            offer,
            objective=objective,  # type: ignore[arg-type]
            start=start.date() if start else None,
            alternatives=alternatives,
        )
        document = route_to_json(report)
        titles = _course_titles(store, document)
    if as_json:
        _print_json(document)
        return
    _print_route(document, titles)


@click.command()
@click.argument("subject")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@click.option(
    "--kind",
    type=click.Choice(["internship", "apprenticeship", "job"]),
    help="Only offers of this kind.",
)
@click.option("--radius-km", type=click.FloatRange(min=0), help="Only within R km of --town.")
@click.option("--town", help="Town id the radius is measured from.")
@click.option("--min-fit", type=click.IntRange(0, 100), default=0, show_default=True)
@click.option(
    "--available-from",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only candidates available on or before this date.",
)
@click.option(
    "--ready-by",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only pairs whose route ends on or before this date.",
)
@click.option(
    "--from",
    "start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date routes start from; default today.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_obj
def match(
    obj: Context,
    subject: str,
    limit: int,
    kind: str | None,
    radius_km: float | None,
    town: str | None,
    min_fit: int,
    available_from: Any,
    ready_by: Any,
    start: Any,
    as_json: bool,
) -> None:
    """Best offers for a candidate, or best candidates for an offer (SUBJECT is either id)."""
    from graph.errors import NotFound
    from graph.matching import MatchFilters, match_candidates, match_offers, match_to_json
    from graph.model import Label

    if (radius_km is None) != (town is None):
        raise click.UsageError("--radius-km and --town go together")
    with obj.store() as store:
        place = None
        if town is not None:
            from graph.profiles import Place

            props = store.get_node(Label.TOWN, town).props
            place = Place(town, props["name"], props["lat"], props["lon"])
        filters = MatchFilters(
            kind=kind,
            town=place,
            radius_km=radius_km,
            min_fit=min_fit,
            available_from=available_from.date() if available_from else None,
            ready_by=ready_by.date() if ready_by else None,
        )
        begin = start.date() if start else None
        if store.existing_ids(Label.CANDIDATE, [subject]):
            matches = match_offers(store, subject, filters, limit, begin)

            def view(m):
                return {"offer": m.offer.id, "title": m.offer.title, "kind": m.offer.kind}
        elif store.existing_ids(Label.OFFER, [subject]):
            matches = match_candidates(store, subject, filters, limit, begin)

            def view(m):
                return {"candidate": m.candidate.id, "name": m.candidate.name}
        else:
            raise NotFound(f"{subject!r} is neither a candidate nor an offer")
    if as_json:
        _print_json([match_to_json(m, view) for m in matches])
        return
    for rank, m in enumerate(matches, start=1):
        who = view(m)
        name = who.get("title") or who.get("name")
        ident = who.get("offer") or who.get("candidate")
        weeks = "–" if m.weeks_needed == float("inf") else f"{m.weeks_needed:g}"
        ready = m.ready_date.isoformat() if m.ready_date else "–"
        km = "–" if m.distance_km is None else f"{m.distance_km:.1f} km"
        missing = ", ".join(line.id for line in m.gap.missing_essential) or "–"
        click.echo(
            f"{rank:>3}. {ident:<14} {name:<32} fit {m.fit:>3}  {km:>9}  "
            f"Wochen/weeks {weeks:>3}  bereit/ready {ready}  fehlt/missing: {missing}"
        )


def _course_titles(store: GraphStore, document: dict[str, Any]) -> dict[str, str]:
    from graph.model import Label

    ids = set(document["courses"])
    for alternative in document["alternatives"]:
        ids.update(alternative["courses"])
    return {
        course_id: str(store.get_node(Label.COURSE, course_id).props.get("title", ""))
        for course_id in ids
    }


def _print_route(document: dict[str, Any], titles: dict[str, str]) -> None:
    goal = (
        "kürzeste Ausbildung / shortest training"
        if document["objective"] == "weeks"
        else "frühester Termin / earliest ready date"
    )
    click.echo(f"Weg / route {document['candidate']} → {document['offer']} ({goal})")
    if not document["feasible"]:
        click.echo("  nicht erreichbar / not reachable:")
        for item in document["unreachable"]:
            click.echo(f"    {item['kind']} {item['id']} ({item['level']}): {item['reason']}")
        return
    if not document["courses"]:
        click.echo(
            f"  bereit / ready: kein Kurs nötig / no course needed ({document['ready_date']})"
        )
        return
    _print_courses(document, titles, indent="  ")
    for number, alternative in enumerate(document["alternatives"], start=1):
        click.echo(f"  Alternative {number}:")
        _print_courses(alternative, titles, indent="    ")


def _print_courses(route: dict[str, Any], titles: dict[str, str], indent: str) -> None:
    dates = {s["course"]: f"{s['start']} – {s['end']}" for s in route["schedule"]}
    for step, course_id in enumerate(route["courses"], start=1):
        click.echo(
            f"{indent}{step}. {course_id} {titles.get(course_id, '')} {dates.get(course_id, '')}"
        )
    ready = route["ready_date"] or "kein Termin / no date"
    click.echo(
        f"{indent}{route['total_weeks']} Wochen/weeks, {route['total_cost']} €, "
        f"bereit am / ready on {ready}"
    )


def _print_json(document: dict[str, Any]) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))
