# The browser story lives with the app's tests; its Chromium fixtures are tests/browser's.
from tests.browser.conftest import axe, browser, page  # noqa: F401
