from tests.matrix import READ_ALL, Case

# Logged-in users visiting the login page are sent home (redirect_authenticated_user).
LOGGED_IN_REDIRECT = dict.fromkeys(READ_ALL, 302)

CASES = [
    Case("accounts:login", LOGGED_IN_REDIRECT, public=True, anonymous=200),
    # Logout is POST-only; GET answers 405 for everyone.
    Case("accounts:logout", dict.fromkeys(READ_ALL, 405), public=True, anonymous=405),
    Case("accounts:password_change", READ_ALL),
    Case("accounts:password_change_done", READ_ALL),
]
