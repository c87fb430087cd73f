"""Command and group classes for every gkcheck command: -h/--help and --version with their help
text written here. click's defaults pass it through gettext, which imports locale and searches the
disk for translations on every start (about 1 ms of a cold check)."""

from __future__ import annotations

import click


def _show_help(ctx: click.Context, _param, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


class _Help:
    def get_help_option(self, ctx):
        names = self.get_help_option_names(ctx)
        if not names or not self.add_help_option:
            return None
        if getattr(self, "_gk_help", None) is None:  # one object: click orders eager callbacks by identity
            self._gk_help = click.Option(names, is_flag=True, is_eager=True, expose_value=False,
                                         callback=_show_help, help="显示帮助并退出")
        return self._gk_help


class Command(_Help, click.Command):
    pass


class Group(_Help, click.Group):
    command_class = Command


def version_option(version: str):
    def show(ctx: click.Context, _param, value: bool) -> None:
        if value and not ctx.resilient_parsing:
            click.echo(f"gkcheck {version}")
            ctx.exit()

    return click.option("--version", is_flag=True, is_eager=True, expose_value=False, callback=show,
                        help="显示版本并退出")
