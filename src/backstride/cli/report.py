"""`backstride report`: the report for a clinician, as a PDF or as JSON (issue 14 item 1)."""

from __future__ import annotations

from pathlib import Path

import click

from backstride.cli.common import FORMAT, SafePath, acting_user, day_option, emit_json, refuse, write_file
from backstride.config import local_today
from backstride.services.errors import BackstrideError, BadOptions, InputRefused
from backstride.services.report_sections import PAPERS, SECTIONS


@click.command()
@click.option("--from", "start", default=None, help="YYYY-MM-DD (default: 12 weeks before --to).")
@click.option("--to", "end", default=None, help="YYYY-MM-DD (default: today).")
@click.option(
    "--sections",
    metavar="S1,S2,...",
    default=None,
    help=f"Sections, comma-separated, from {','.join(SECTIONS)} (default: all but notes, which are private).",
)
@click.option(
    "--paper",
    type=click.Choice(PAPERS, case_sensitive=False),
    default="a4",
    show_default=True,
    help="A4 or US Letter.",
)
@click.option(
    "--pdf",
    "pdf_file",
    type=SafePath(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the report here as a PDF.",
)
@FORMAT
def report(
    start: str | None, end: str | None, sections: str | None, paper: str, pdf_file: Path | None, fmt: str
) -> None:
    """A report for your GP or physio (PDF or JSON): summary, check, pain, training, triggers, plan, form."""
    from backstride.core.inputs import AHEAD_DAYS
    from backstride.services.report_data import build_report, parse_sections

    today = local_today()
    first = None if start is None else day_option(start, "--from", fmt, today, ahead_days=AHEAD_DAYS)
    last = None if end is None else day_option(end, "--to", fmt, today, ahead_days=AHEAD_DAYS)
    try:
        chosen = parse_sections(sections)
        if pdf_file is None and fmt != "json":
            raise BadOptions(
                [("--pdf", "say where to write the PDF (--pdf FILE), or print the data with --format json")]
            )
        user = acting_user()
        data = build_report(user, first, last, chosen, today)
    except InputRefused as error:
        refuse(error, fmt)
    if pdf_file is not None:
        from backstride.services.report_render import report_pdf

        try:
            pdf = report_pdf(data, user, paper.lower())
        except BackstrideError as error:
            raise click.ClickException(str(error)) from None
        write_file(pdf_file, pdf, "the report to")
    if fmt == "json":
        emit_json(data)
        return
    if pdf_file is not None:
        titles = ", ".join(data["section_titles"].values()) or "no section"
        click.echo(
            f"Report for {data['period']['start']} to {data['period']['end']} ({titles}) "
            f"written to {pdf_file}."
        )
