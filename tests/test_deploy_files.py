"""The deploy files parse and validate as far as this machine allows.

No container engine runs here, so the Dockerfile is checked for what the README promises
(stages, user, health check, stop signal), the Kubernetes manifests against the API
schemas shipped by ``kubernetes-validate``, the compose file against the compose
specification schema vendored by ``check-jsonschema``, and the systemd unit with
``systemd-analyze verify`` where systemd is installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.paths import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"
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


def test_kubernetes_has_replicas_probes_secret_config_job_and_budget():
    kinds = {document["kind"]: document for document in manifests()}
    assert {"Deployment", "Secret", "ConfigMap", "Job", "PodDisruptionBudget"} <= set(kinds)
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
    assert bot["env_file"] == "nudgebot.env"


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
