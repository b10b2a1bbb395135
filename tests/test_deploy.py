"""deploy/: the Kubernetes manifests validate against the Kubernetes schemas (kubernetes-validate,
which bundles them: it runs without a network, here in a network namespace of its own when the
test may make one), a deliberately broken manifest does not, and the manifests agree with the
server's options (probes on the health service, termination grace covering --grace)."""

from __future__ import annotations

import pathlib
import re
import shutil
import subprocess
import sys

import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
#: The Kubernetes manifests (deploy/envoy.yaml, a balancer's template, is tests/test_scale_out.py's).
MANIFESTS = sorted(p for p in DEPLOY.glob("*.yaml") if p.name != "envoy.yaml")
VALIDATOR = pathlib.Path(sys.executable).with_name("kubernetes-validate")
#: Any attempt to reach the network goes to a port nobody listens on.
NO_NETWORK = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


def _offline(command: list[str]) -> list[str]:
    """``command`` in a network namespace with no interfaces up, if this process may make one."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True, timeout=30).returncode == 0:
        return [unshare, "-n", *command]
    return command


def _validate(*paths: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _offline([str(VALIDATOR), "--strict", *map(str, paths)]),
        capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin", **NO_NETWORK},
    )


def _documents() -> dict[str, dict]:
    found = {}
    for path in MANIFESTS:
        for document in yaml.safe_load_all(path.read_text()):
            found[f"{document['kind']}/{document['metadata']['name']}"] = document
    return found


def test_the_manifests_validate_against_the_kubernetes_schemas() -> None:
    assert {p.name for p in MANIFESTS} >= {"deployment.yaml", "service.yaml", "autoscaling.yaml"}
    done = _validate(*MANIFESTS)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("passed") == len(_documents()), done.stdout


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (
            lambda d: d["spec"]["template"]["spec"]["containers"][0]["readinessProbe"].update(periodSeconds="five"),
            "is not of type 'integer'",
        ),
        (lambda d: d["spec"]["template"]["spec"].update(terminationGracePeriod=30), "terminationGracePeriod"),
        (lambda d: d["spec"].pop("selector"), "selector"),
    ],
    ids=["wrong type", "unknown field", "missing required field"],
)
def test_a_broken_manifest_fails(tmp_path: pathlib.Path, change, complaint: str) -> None:
    deployment = yaml.safe_load((DEPLOY / "deployment.yaml").read_text())
    change(deployment)
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(deployment))
    done = _validate(broken)
    assert done.returncode != 0
    assert complaint in done.stdout + done.stderr


def _flag(args: list[str], name: str) -> str:
    (value,) = [a.split("=", 1)[1] for a in args if a.startswith(f"--{name}=")]
    return value


def test_the_deployment_matches_the_server() -> None:
    documents = _documents()
    deployment = documents["Deployment/rtbridge"]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    args = container["args"]
    assert args[0] == "serve"
    grace = float(_flag(args, "grace"))
    pre_stop = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    # The drain (--grace) after the preStop pause, with a margin before the kubelet's SIGKILL.
    assert pod["terminationGracePeriodSeconds"] >= pre_stop + grace + 5
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"grpc": int(_flag(args, "port")), "metrics": int(_flag(args, "metrics-port"))}
    assert _flag(args, "host") == "0.0.0.0"
    # Native gRPC probes on the health service; readiness on the bridge's own service name.
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["grpc"]["port"] == ports["grpc"], probe
    assert container["readinessProbe"]["grpc"]["service"] == "realtime.bridge.v1.BridgeService"
    # A headless Service for client-side balancing, a ClusterIP one for proxies, same pods.
    headless, proxied = documents["Service/rtbridge-headless"], documents["Service/rtbridge"]
    assert headless["spec"]["clusterIP"] == "None"
    assert proxied["spec"]["type"] == "ClusterIP"
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert headless["spec"]["selector"] == proxied["spec"]["selector"] == selector
    assert documents["PodDisruptionBudget/rtbridge"]["spec"]["selector"]["matchLabels"] == selector
    hpa = documents["HorizontalPodAutoscaler/rtbridge"]["spec"]
    assert hpa["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    assert hpa["minReplicas"] >= 2  # the PodDisruptionBudget can then let one go


def test_the_relay_deployment_matches_the_server_and_drains_its_hour_long_sessions() -> None:
    from bridge.relay._config import RelayConfig
    from bridge.service import _command

    documents = _documents()
    deployment = documents["Deployment/rtbridge-relay"]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    args = container["args"]
    # The server's own parser takes these flags, with the key from the Secret-fed variable.
    import argparse
    import os

    parser = argparse.ArgumentParser()
    _command.add_arguments(parser)
    os.environ["OPENAI_API_KEY"] = "sk-from-the-secret"
    try:
        config = _command.config_from_args(parser.parse_args(args[1:]))
    finally:
        del os.environ["OPENAI_API_KEY"]
    assert isinstance(config.relay, RelayConfig) and config.relay.upstream == "wss://api.openai.com/v1/realtime"
    (variable,) = [e for e in container["env"] if e["name"] == _flag(args, "upstream-key-env")]
    assert "secretKeyRef" in variable["valueFrom"]
    # Sessions last up to the upstream's 60 minutes: the grace covers one, and the pod's
    # termination grace covers the preStop pause, the grace and a margin.
    pre_stop = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert config.grace >= 3600
    assert pod["terminationGracePeriodSeconds"] >= pre_stop + config.grace + 5
    assert container["readinessProbe"]["grpc"]["service"] == "realtime.bridge.v1.SessionService"
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    service = documents["Service/rtbridge-relay"]
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    # nginx's timeouts on the relay's location outlast a session (the default 60 s would cut quiet ones).
    nginx = (DEPLOY / "nginx.conf").read_text()
    location = nginx[nginx.index("location /realtime.bridge.v1.SessionService/") :].split("}", 1)[0]
    for timeout in ("grpc_read_timeout", "grpc_send_timeout"):
        seconds = int(re.search(rf"{timeout} (\d+)s;", location)[1])  # type: ignore[index]
        assert seconds > config.relay.max_session_duration, timeout


def test_the_container_build_file_runs_the_server_as_the_deployment_expects() -> None:
    containerfile = (DEPLOY / "Containerfile").read_text()
    pod = _documents()["Deployment/rtbridge"]["spec"]["template"]["spec"]
    assert f"USER {pod['securityContext']['runAsUser']}:" in containerfile
    assert 'ENTRYPOINT ["rtbridge"]' in containerfile
    assert "EXPOSE 50051 9100" in containerfile
    assert "PIP_CONSTRAINT=constraints.txt" in containerfile  # the pinned versions, as CI


def test_the_tls_secret_example_holds_what_the_server_flags_name() -> None:
    secret = _documents()["Secret/rtbridge-tls"]
    assert secret["type"] == "kubernetes.io/tls" and set(secret["stringData"]) == {"tls.crt", "tls.key"}
    comments = (DEPLOY / "tls-secret.yaml").read_text()
    assert "--tls-cert=/etc/rtbridge/tls/tls.crt --tls-key=/etc/rtbridge/tls/tls.key" in comments
    assert "mountPath: /etc/rtbridge/tls" in comments


def _ignored(patterns: list[str], path: str) -> bool:
    """Whether ``path`` (or a folder holding it) matches a .containerignore pattern (``*`` within a
    name, ``**`` any number of folders), as podman and docker read them."""
    def regex(pattern: str) -> str:
        out = ""
        for part in re.split(r"(\*\*/|\*|\?|\[[^\]]*\])", pattern.strip("/")):
            out += {"**/": "(?:.*/)?", "*": "[^/]*", "?": "[^/]"}.get(part, part if part.startswith("[") else re.escape(part))
        return out
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(re.fullmatch(regex(p), prefix) for p in patterns for prefix in prefixes)


def test_the_build_context_leaves_out_local_environments_and_build_output() -> None:
    """`podman build -f deploy/Containerfile .` copies the sources, not a venv, npm tools or
    compiled leftovers of another Python (the image builds its own extensions)."""
    lines = (REPO / ".containerignore").read_text().splitlines()
    patterns = [line for line in lines if line and not line.startswith("#")]
    for path in (".venv/bin/python", "tools/node_modules/.bin/buf", "build/lib/bridge/x.so", "dist/x.whl",
                 "realtime_bridge.egg-info/PKG-INFO", "bridge/__pycache__/x.pyc", ".git/HEAD",
                 "bridge/_speedups.cpython-311-x86_64-linux-gnu.so", "bridge/_decoder.c", "benchmarks/results/latest.json"):
        assert _ignored(patterns, path), path
    # What the build stage needs: setup.py builds the extensions and reads the README.
    for path in ("setup.py", "pyproject.toml", "constraints.txt", "README.md", "LICENSE", "MANIFEST.in",
                 "bridge/__init__.py", "bridge/_speedups.pyx", "bridge/_text.pxd", "bridge/v1/realtime_pb2.py"):
        assert (REPO / path).exists() and not _ignored(patterns, path), path
