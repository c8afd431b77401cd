"""The deploy files parse, validate, and do what docs/deploy.md says, as far as no cluster allows.

The image itself is built and run by tests/test_image.py; here the Dockerfile is checked
for what the docs promise (stages, user, health check, stop signal, no terminal chat),
the Kubernetes manifests against the API schemas shipped by ``kubernetes-validate`` and
in the order docs/deploy.md applies them, the compose file against the compose
specification schema vendored by ``check-jsonschema``, the env examples for what they
switch on, and the systemd unit with ``systemd-analyze verify`` where systemd is installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from nudgebot.settings import Settings, load_settings
from tests.support.paths import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"
GUIDE = REPO_ROOT / "docs" / "deploy.md"
IMAGE = re.compile(r"^registry\.example\.org/nudgebot:\d+\.\d+\.\d+$")
BIN = Path(sys.executable).parent


def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, timeout=120
    )


def manifests() -> list[dict[str, Any]]:
    return [
        document
        for path in sorted((DEPLOY / "k8s").glob("*.yaml"))
        for document in yaml.safe_load_all(path.read_text())
    ]


def test_kubernetes_manifests_match_the_api_schemas():
    result = run(
        BIN / "kubernetes-validate",
        "--strict",
        "-k",
        "1.30",
        *sorted((DEPLOY / "k8s").glob("*.yaml")),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("passed") == len(manifests())


def test_kubernetes_has_replicas_probes_config_job_budget_ingress_and_a_database():
    kinds = {document["kind"]: document for document in manifests()}
    assert {"Deployment", "ConfigMap", "Job", "PodDisruptionBudget", "Ingress"} <= set(kinds)
    assert {"StatefulSet", "Service"} <= set(kinds)
    assert "Secret" not in kinds  # made from secret.env, never committed with values
    deployment = kinds["Deployment"]["spec"]
    assert deployment["replicas"] >= 2
    (container,) = deployment["template"]["spec"]["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert kinds["Job"]["spec"]["template"]["spec"]["containers"][0]["args"] == ["db", "upgrade"]
    selector = kinds["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"]
    assert selector.items() <= deployment["template"]["metadata"]["labels"].items()


def test_compose_file_matches_the_compose_specification():
    result = run(
        BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", DEPLOY / "compose.yaml"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_migrates_once_before_two_bot_replicas():
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    assert services["db"]["image"] == "postgres:15"
    assert "healthcheck" in services["db"]
    assert services["migrate"]["command"] == ["db", "upgrade"]
    bot = services["bot"]
    assert bot["deploy"]["replicas"] == 2
    assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["env_file"] == "container.env"
    assert IMAGE.match(bot["image"])


def test_dockerfile_is_multi_stage_non_root_with_health_check_and_stop_signal():
    lines = [
        line.strip()
        for line in (DEPLOY / "Dockerfile").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    froms = [line for line in lines if line.startswith("FROM ")]
    assert len(froms) == 2
    assert all("-slim" in line for line in froms)
    assert any(line.startswith("USER ") and not line.endswith(" root") for line in lines)
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert "/healthz" in (DEPLOY / "Dockerfile").read_text()
    assert "STOPSIGNAL SIGTERM" in lines
    text = (DEPLOY / "Dockerfile").read_text()
    assert "NUDGEBOT_CONSOLE=false" in text  # a container refuses instead of a terminal chat
    assert "NUDGEBOT_HTTP_HOST=0.0.0.0" in text
    assert "WORKDIR /var/lib/nudgebot" in lines  # the volume; the default SQLite file


def test_every_image_is_registry_qualified():
    containers = [
        container
        for document in manifests()
        if document["kind"] in ("Deployment", "Job")
        for container in document["spec"]["template"]["spec"]["containers"]
    ]
    assert len(containers) == 2
    assert all(IMAGE.match(container["image"]) for container in containers)


def kubernetes_section() -> str:
    return GUIDE.read_text().split("## Kubernetes", 1)[1].split("\n## ", 1)[0]


def kubectl_steps() -> list[str]:
    """The kubectl and cp commands of docs/deploy.md's Kubernetes section, in their order."""
    return [
        line.strip().strip("`")
        for line in kubernetes_section().splitlines()
        if "kubectl " in line or line.strip().startswith("cp ")
    ]


def position(steps: list[str], fragment: str) -> int:
    found = [index for index, step in enumerate(steps) if fragment in step]
    assert found, f"docs/deploy.md never says {fragment!r}"
    return found[0]


def test_the_guide_applies_kubernetes_in_an_order_that_works():
    steps = kubectl_steps()
    named = {Path(m) for step in steps for m in re.findall(r"(deploy/k8s/[\w.-]+)", step)}
    copied = {Path(step.split()[2]) for step in steps if step.startswith("cp ")}
    assert all((REPO_ROOT / path).exists() for path in named - copied), named - copied
    on_disk = {path.relative_to(REPO_ROOT) for path in (DEPLOY / "k8s").glob("*.yaml")}
    assert on_disk <= named  # every manifest is in the guide
    database = position(steps, "apply -f deploy/k8s/postgres.yaml")
    assert position(steps, "create secret generic nudgebot-postgres") < database
    copy = position(steps, "cp deploy/k8s/secret.env.example deploy/k8s/secret.env")
    secret = position(steps, "create secret generic nudgebot --from-env-file")
    assert copy < secret
    config = position(steps, "apply -f deploy/k8s/configmap.yaml")
    job = position(steps, "apply -f deploy/k8s/migrate-job.yaml")
    done = position(steps, "wait --for=condition=complete")
    bot = position(steps, "apply -f deploy/k8s/deployment.yaml")
    assert database < secret < job and config < job < done < bot


def settings_from(
    path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *uncomment: str
) -> Settings:
    """The settings an env example gives with the named variables' lines uncommented."""
    for name in [name for name in os.environ if name.startswith("NUDGEBOT_")]:
        monkeypatch.delenv(name)
    text = path.read_text()
    for name in uncomment:
        assert f"# {name}=" in text
        text = text.replace(f"# {name}=", f"{name}=x-{name.lower()}", 1)
    copy = tmp_path / "settings.env"
    copy.write_text(text)
    return load_settings(_env_file=copy)


EXAMPLES = ["container.env.example", "nudgebot.env.example", "k8s/secret.env.example"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_an_env_example_as_shipped_switches_no_platform_on(example, monkeypatch, tmp_path):
    assert settings_from(DEPLOY / example, monkeypatch, tmp_path).console_only


@pytest.mark.parametrize("example", EXAMPLES)
def test_a_slack_only_env_example_leaves_telegram_off(example, monkeypatch, tmp_path):
    names = ("NUDGEBOT_SLACK_BOT_TOKEN", "NUDGEBOT_SLACK_APP_TOKEN")
    settings = settings_from(DEPLOY / example, monkeypatch, tmp_path, *names)
    assert settings.slack is not None and settings.telegram is None


def test_the_container_env_example_listens_everywhere_and_stores_on_the_volume(
    monkeypatch, tmp_path
):
    settings = settings_from(DEPLOY / "container.env.example", monkeypatch, tmp_path)
    assert settings.http_host == "0.0.0.0"
    assert settings.database_url == "sqlite+aiosqlite:////var/lib/nudgebot/nudgebot.db"
    assert "-v nudgebot-data:/var/lib/nudgebot" in GUIDE.read_text()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
def test_systemd_unit_verifies(tmp_path):
    # verify checks that ExecStart exists; point it at this environment's nudgebot, which is
    # where /opt/nudgebot/bin/nudgebot is on a host installed as the unit's header says.
    unit = tmp_path / "nudgebot.service"
    text = (DEPLOY / "nudgebot.service").read_text()
    assert "/opt/nudgebot/bin/nudgebot run" in text
    unit.write_text(text.replace("/opt/nudgebot/bin/nudgebot", str(BIN / "nudgebot")))
    result = run("systemd-analyze", "verify", unit)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""
