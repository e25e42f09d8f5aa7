"""``make run``: start the web server and a Celery worker (with beat) side by side; Ctrl-C stops both."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    # A development server: DEBUG on unless the caller says otherwise (it defaults to off).
    env = {**os.environ, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG") or "true"}
    os.environ["DJANGO_DEBUG"] = env["DJANGO_DEBUG"]
    (ROOT / "var").mkdir(exist_ok=True)
    from core.demo_accounts import DEMO_PASSWORD, DEMO_USERS

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    procs: list[subprocess.Popen] = []
    try:
        procs.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"{args.host}:{args.port}", "--noreload"],
                cwd=ROOT,
                env=env,
            )
        )
        procs.append(
            subprocess.Popen(
                [
                    str(bin_dir / "celery"),
                    "-A",
                    "khuyencong",
                    "worker",
                    "-B",
                    "--pool",
                    "solo",
                    "-l",
                    "warning",
                    "--schedule",
                    str(ROOT / "var" / "celerybeat-schedule"),
                ],
                cwd=ROOT,
                env=env,
            )
        )
        time.sleep(2)
        print("\n" + "=" * 72)
        print(f"  Cổng khuyến công đang chạy: http://{args.host}:{args.port}/")
        print(f"  Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, (first, last), _org, _role, description in DEMO_USERS:
            print(f"    {username:<14} {first} {last:<10} ({description})")
        print("  Nhấn Ctrl-C để dừng web và worker.")
        print("=" * 72 + "\n", flush=True)
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGINT if p is procs[0] else signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
