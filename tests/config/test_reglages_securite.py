"""The protections issue 8 asks for are on in production without any variable set: second factor for staff,
secure cookies, HSTS, HTTPS redirect, 30-minute staff sessions, 12-character passwords.

Read in a subprocess with production settings (the test process runs with test settings, where the staff
second factor is off by default).
"""

import json

from tests.config.test_deploy import manage, production_env

LIRE = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'mfa': s.STAFF_MFA_REQUIRED, 'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE,"
    "'session_httponly': s.SESSION_COOKIE_HTTPONLY, 'hsts': s.SECURE_HSTS_SECONDS,"
    "'hsts_sous_domaines': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'https': s.SECURE_SSL_REDIRECT,"
    "'referrer': s.SECURE_REFERRER_POLICY, 'cadres': s.X_FRAME_OPTIONS, 'inactivite': s.STAFF_SESSION_IDLE_SECONDS,"
    "'validateurs': {v['NAME'].rsplit('.', 1)[1]: v.get('OPTIONS', {}) for v in s.AUTH_PASSWORD_VALIDATORS}}))"
)


def test_en_production_les_protections_sont_actives_par_defaut():
    result = manage(
        production_env(STAFF_MFA_REQUIRED=None, DJANGO_HSTS_SECONDS=None, DJANGO_SECURE_SSL_REDIRECT=None),
        "shell",
        "--no-imports",
        "-c",
        LIRE,
    )
    assert result.returncode == 0, result.stderr

    reglages = json.loads(result.stdout.strip().splitlines()[-1])
    assert reglages.pop("validateurs")["MinimumLengthValidator"] == {"min_length": 12}
    assert reglages == {
        "mfa": True,
        "session_secure": True,
        "csrf_secure": True,
        "session_httponly": True,
        "hsts": 31536000,
        "hsts_sous_domaines": True,
        "https": True,
        "referrer": "same-origin",
        "cadres": "DENY",
        "inactivite": 1800,
    }
