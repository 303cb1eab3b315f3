import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(env_overrides, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_mode_without_secret_key_refuses_to_start():
    result = _run({"DEBUG": "0"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_in_production_mode():
    result = _run(
        {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 60 + "-prod-check-key-with-enough-entropy-1234567890",
            "ALLOWED_HOSTS": "renda.example.gov.cn",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_interface_defaults_to_simplified_chinese_in_shanghai(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert ("en", "English") in settings.LANGUAGES


def test_celery_runs_tasks_in_process_without_redis(settings):
    from presidium.celery import ping

    if settings.REDIS_URL:
        assert settings.CELERY_BROKER_URL == settings.REDIS_URL
    else:
        assert settings.CELERY_TASK_ALWAYS_EAGER
        assert ping.delay().get(timeout=5) == "pong"
