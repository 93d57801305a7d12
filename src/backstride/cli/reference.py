"""The README's command reference, written from the commands' own help (run by cog: `make docs`,
or `cog -r README.md`), and the list of commands and options that have no help text."""

from __future__ import annotations

from collections.abc import Iterator

import click


def walk(
    command: click.Command, parent: click.Context | None = None, name: str = "backstride"
) -> Iterator[tuple[click.Context, click.Command]]:
    """Every command under ``command`` (itself first, then its subcommands by name, nested groups
    too), each with the context Click would give it."""
    ctx = click.Context(command, info_name=name, parent=parent)
    yield ctx, command
    if isinstance(command, click.Group):
        for sub_name in command.list_commands(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                yield from walk(sub, ctx, sub_name)


def options(ctx: click.Context, command: click.Command) -> list[tuple[str, str]]:
    """(the option as typed, its help) for each option but --help."""
    rows = []
    for param in command.get_params(ctx):
        if isinstance(param, click.Option) and param is not command.get_help_option(ctx) and not param.hidden:
            record = param.get_help_record(ctx)
            if record is not None:
                rows.append(record)
    return rows


def missing_help(command: click.Command) -> list[str]:
    """The commands and options without help text, as "backstride log run --date"."""
    missing = []
    for ctx, sub in walk(command):
        path = ctx.command_path
        if not (sub.help or sub.short_help):
            missing.append(path)
        for param in sub.get_params(ctx):
            if isinstance(param, click.Option) and not param.help:
                missing.append(f"{path} {param.opts[0]}")
    return missing


def reference(command: click.Command) -> str:
    """A ```sh block: each command's usage line, its short help, then its options with their help."""
    lines = ["```sh"]
    for ctx, sub in walk(command):
        pieces = " ".join(sub.collect_usage_pieces(ctx))
        lines.append(f"{ctx.command_path} {pieces}".rstrip())
        lines.append(f"    # {sub.get_short_help_str(limit=200)}")
        for opts, help_text in options(ctx, sub):
            lines.append(f"    #   {opts}: {' '.join(help_text.split())}")
    lines.append("```")
    return "\n".join(lines) + "\n"


def readme_block() -> str:
    """What the README's cog block prints."""
    from backstride.cli import main

    return reference(main)
