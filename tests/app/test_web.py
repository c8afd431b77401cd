from aiohttp.test_utils import TestClient, TestServer

from nudgebot.app.wiring import build_web_app


async def test_health_and_metrics_are_served():
    async with TestClient(TestServer(build_web_app())) as client:
        health = await client.get("/healthz")
        assert health.status == 200
        assert (await health.json()) == {"status": "ok"}
        metrics = await client.get("/metrics")
        assert metrics.status == 200
        assert "nudgebot_ticks_total" in await metrics.text()
