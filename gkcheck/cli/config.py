"""gkcheck config: the effective settings and where each came from."""

from __future__ import annotations

import click

from gkcheck.cli.base import Command
from gkcheck.cli.options import (
    limit_options,
    override_options,
    policy_options,
    timeout_option,
    resolve_settings,
    settings_options,
    with_options,
)


@click.command("config", cls=Command)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@with_options(policy_options, settings_options, override_options[3:], limit_options, [timeout_option])
def config_cmd(as_json, config_file, **kw):
    """显示生效的配置及每一项的来源（配置文件的键、"默认"或"命令行"）。"""
    from gkcheck.policy.config import as_json as config_json
    from gkcheck.policy.config import describe

    cfg = resolve_settings(kw, config_file)
    if as_json:
        import json

        click.echo(json.dumps(config_json(cfg), ensure_ascii=False, indent=2))
    else:
        click.echo(describe(cfg), nl=False)
