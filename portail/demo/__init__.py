"""Deterministic demo data. Each capability adds its own module and step to `seed_demo`."""

DEMO_PASSWORD = "demo-guichet-2026"  # noqa: S105 - published demo password, demo accounts only
DEMO_DOMAIN = "demo.guichet-rpe.fr"
BENCH_DOMAIN = "bench.guichet-rpe.fr"

# One account per role, printed by the launcher.
COMPTES_DEMO = [
    ("parent", f"parent@{DEMO_DOMAIN}"),
    ("assmat", f"assmat@{DEMO_DOMAIN}"),
    ("animateur", f"animateur@{DEMO_DOMAIN}"),
    ("agent_caf", f"agent.caf@{DEMO_DOMAIN}"),
    ("partenaire", f"conseillere.francetravail@{DEMO_DOMAIN}"),
    ("admin", f"admin@{DEMO_DOMAIN}"),
]
