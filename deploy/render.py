#!/usr/bin/env python3
"""Render the deployment templates of this directory (docs/DEPLOY.md).

    python3 deploy/render.py --out /tmp/zhucun-deploy --var SERVER_NAME=zhucun.example.gov.cn
    python3 deploy/render.py --list              # the variables, their defaults and meaning

Every ``${NAME}`` (capitals, digits, underscore, in braces) of a template is replaced by the
variable's value; anything else — nginx's ``$host``, the shell's ``$$(date …)`` of a systemd
unit — is left alone. A template naming a variable that has no value is refused, and nothing
is written. ``zhucun.env.example`` becomes ``zhucun.env`` (mode 0600) with a fresh random
SECRET_KEY and ZHUCUN_AUDIT_KEY unless they are given. Standard library only: it runs with
the system's python3 before zhucun is installed."""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import secrets
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")
TEMPLATES = (
    "zhucun.socket",
    "zhucun.service",
    "zhucun.env.example",
    "nginx-zhucun.conf",
    "zhucun-partitions.service",
    "zhucun-partitions.timer",
    "zhucun-close-month.service",
    "zhucun-close-month.timer",
    "zhucun-audit-head.service",
    "zhucun-audit-head.timer",
    "zhucun-backup.service",
    "zhucun-backup.timer",
    "logrotate-zhucun",
    "postgresql-zhucun.conf",
    "zhucun-admin",
)
MODES = {"zhucun.env": 0o600, "zhucun-admin": 0o755}

# name → (default, 说明). A default may name other variables (${…}); None: must be given.
VARIABLES: dict[str, tuple[str | None, str]] = {
    "SERVER_NAME": (None, "网站域名(证书上的名字),如 zhucun.dehong.gov.cn"),
    "ZHUCUN_USER": ("zhucun", "运行服务的系统用户"),
    "ZHUCUN_GROUP": ("zhucun", "该用户的组"),
    "NGINX_USER": ("www-data", "nginx 工作进程的用户(Debian 为 www-data)"),
    "NGINX_GROUP": ("www-data", "可以连接程序套接字的组(nginx 的组)"),
    "ZHUCUN_SRC": ("/opt/zhucun/src", "程序源码(发布包解压或 git 检出)所在目录"),
    "ZHUCUN_VENV": ("/opt/zhucun/venv", "Python 虚拟环境(pip install 到这里)"),
    "ZHUCUN_HOME": ("/var/lib/zhucun", "数据目录:上传文件、审计链头(服务唯一可写的目录)"),
    "ZHUCUN_ETC": ("/etc/zhucun", "配置目录(zhucun.env)"),
    "ZHUCUN_LOG_DIR": ("/var/log/zhucun", "日志目录(app/ 程序访问日志,nginx/ 本站 nginx 日志)"),
    "ZHUCUN_SOCKET": ("/run/zhucun/zhucun.sock", "程序的 Unix 套接字(nginx 连接它)"),
    "WORKERS": ("4", "gunicorn 进程数,取 CPU 核数"),
    "THREADS": ("8", "每进程线程数"),
    "HTTP_PORT": ("80", "nginx 的 HTTP 端口(只做跳转到 HTTPS)"),
    "HTTPS_PORT": ("443", "nginx 的 HTTPS 端口"),
    "TLS_CERT": ("/etc/ssl/zhucun/fullchain.pem", "TLS 证书(含中间证书)"),
    "TLS_KEY": ("/etc/ssl/zhucun/privkey.pem", "TLS 私钥"),
    "UPLOAD_MAX_MB": ("21", "nginx 允许的请求体上限(MB),略大于 ZHUCUN_UPLOAD_MAX_BYTES"),
    "ASSETS_ROOT": (
        "",
        "含 assets/ 的程序包目录(nginx 直接读样式与脚本);默认:用运行本脚本的 Python 找到已安装的"
        " zhucun,找不到时为 ${ZHUCUN_VENV}/lib/python3.11/site-packages/zhucun/web",
    ),
    "DATABASE_URL": (
        "postgresql://${ZHUCUN_USER}@/zhucun?host=/var/run/postgresql",
        "数据库连接(默认:本机 PostgreSQL,Unix 套接字 peer 认证)",
    ),
    "SECRET_KEY": ("", "Django 密钥;默认随机生成"),
    "ZHUCUN_AUDIT_KEY": ("", "审计链密钥;默认随机生成。首次安装后不可更换"),
    "BACKUP_DIR": ("/var/backups/zhucun", "每日备份的目录"),
    "BACKUP_KEEP_DAYS": ("14", "本机保留备份的天数(异地副本另行保留)"),
    "CLOSE_MONTH_DAYS": ("01..05", "每月哪几天结算上月考勤(systemd OnCalendar 的日)"),
    "LOG_KEEP_DAYS": ("190", "日志保留天数(网络安全法:不少于六个月)"),
    "PG_RAM_GB": ("16", "数据库服务器内存(GB),用于下面三项的默认值"),
    "PG_SHARED_BUFFERS": ("", "默认:内存的 1/4"),
    "PG_EFFECTIVE_CACHE_SIZE": ("", "默认:内存的 3/4"),
    "PG_MAX_CONNECTIONS": ("100", "PostgreSQL 最大连接数(≥ 进程数 ×(线程数 + 1)+ 20)"),
}


class RenderError(Exception):
    pass


def _assets_root(values: dict[str, str]) -> str:
    spec = importlib.util.find_spec("zhucun")
    if spec and spec.origin:
        web = Path(spec.origin).parent / "web"
        if (web / "assets" / "zhucun.css").is_file():
            return str(web)
    return f"{values['ZHUCUN_VENV']}/lib/python3.11/site-packages/zhucun/web"


def resolve(given: dict[str, str]) -> dict[str, str]:
    """The values of every variable: given, else default (defaults may refer to others)."""
    unknown = sorted(set(given) - set(VARIABLES))
    if unknown:
        raise RenderError(f"未知的变量:{', '.join(unknown)}(--list 查看全部)")
    values = {k: v for k, v in given.items()}
    for name, (default, _) in VARIABLES.items():
        if name not in values and default is not None:
            values[name] = default
    for _ in range(5):  # defaults that name other variables
        for name, value in values.items():
            values[name] = PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), value)
    if not values.get("ASSETS_ROOT"):
        values["ASSETS_ROOT"] = _assets_root(values)
    ram = int(values.get("PG_RAM_GB") or "16")
    values["PG_SHARED_BUFFERS"] = values.get("PG_SHARED_BUFFERS") or f"{max(ram * 256, 128)}MB"
    values["PG_EFFECTIVE_CACHE_SIZE"] = (
        values.get("PG_EFFECTIVE_CACHE_SIZE") or f"{max(ram * 768, 512)}MB"
    )
    for key in ("SECRET_KEY", "ZHUCUN_AUDIT_KEY"):
        values[key] = values.get(key) or secrets.token_urlsafe(50)
    missing = sorted(k for k, (d, _) in VARIABLES.items() if d is None and not values.get(k))
    if missing:
        raise RenderError(f"缺少变量:{', '.join(missing)}(用 --var 名称=值 给出)")
    return values


def render_text(text: str, values: dict[str, str], *, name: str = "") -> str:
    missing = sorted({m.group(1) for m in PLACEHOLDER.finditer(text)} - set(values))
    if missing:
        raise RenderError(f"{name}:没有值的变量 {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def output_name(template: str) -> str:
    return template.removesuffix(".example")


def render(out: Path, given: dict[str, str], *, templates: Path = HERE) -> list[Path]:
    values = resolve(given)
    rendered = {
        output_name(t): render_text((templates / t).read_text(encoding="utf-8"), values, name=t)
        for t in TEMPLATES
    }
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in rendered.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        os.chmod(path, MODES.get(name, 0o644))
        written.append(path)
    return written


def parse_vars(items: list[str]) -> dict[str, str]:
    given = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise RenderError(f"--var 应为 名称=值:{item!r}")
        given[name.strip()] = value
    return given


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="deploy/render.py", description="生成 zhucun 的部署文件(systemd、nginx、logrotate 等)"
    )
    p.add_argument("--out", help="输出目录")
    p.add_argument("--var", action="append", default=[], metavar="名称=值", help="可重复")
    p.add_argument("--list", action="store_true", help="列出变量、默认值与说明")
    args = p.parse_args(argv)
    if args.list:
        for name, (default, note) in VARIABLES.items():
            shown = "(必须给出)" if default is None else (default or "(自动)")
            print(f"{name:24} {shown}\n{'':24} {note}")
        return 0
    if not args.out:
        p.error("需要 --out 目录(或 --list)")
    try:
        written = render(Path(args.out), parse_vars(args.var))
    except (RenderError, OSError) as exc:
        print(f"错误:{exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    print(
        "注意:zhucun.env 含新生成的密钥,只在首次安装时复制到 /etc/zhucun/;之后不要覆盖"
        "(更换 ZHUCUN_AUDIT_KEY 会使已有审计链无法校验)。",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
