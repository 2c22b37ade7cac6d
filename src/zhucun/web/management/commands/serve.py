"""``zhucun serve``: the production HTTP server (gunicorn, threaded workers).

Each worker process keeps its database connections open (CONN_MAX_AGE) and runs a check-in
writer that commits concurrent check-ins together (see ``zhucun.attendance.groupcommit``)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "以生产模式启动HTTP服务(gunicorn 多进程多线程)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="监听地址,默认 127.0.0.1:8000")
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 2, help="进程数,默认CPU核数"
        )
        parser.add_argument("--threads", type=int, default=8, help="每进程线程数,默认8")
        parser.add_argument("--access-log", default=None, help="访问日志文件(默认不记)")
        parser.add_argument("--pid", default=None, help="主进程PID文件")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            from gunicorn.app.base import BaseApplication
        except ImportError as exc:  # pragma: no cover - gunicorn is a dependency
            raise CommandError("未安装 gunicorn,请重新安装 zhucun") from exc
        if opts["workers"] < 1 or opts["threads"] < 1:
            raise CommandError("进程数和线程数都应为正整数")

        config = {
            "bind": opts["bind"],
            "workers": opts["workers"],
            "threads": opts["threads"],
            "worker_class": "gthread",
            "keepalive": 30,
            "backlog": 2048,
            "accesslog": opts["access_log"],
            "pidfile": opts["pid"],
            "graceful_timeout": 10,
            "timeout": 60,
        }

        from django.utils import timezone

        from zhucun.attendance.partitions import partitions_ahead

        created = partitions_ahead(today=timezone.localdate())  # PostgreSQL; safe every start
        if created:
            self.stdout.write(f"已预建签到分区:{', '.join(created)}")

        class Server(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                for key, value in config.items():
                    if value is not None:
                        self.cfg.set(key, value)

            def load(self) -> Any:
                from zhucun.wsgi import application

                return application

        Server().run()
