from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form with Vietnamese labels and messages."""

    username = forms.CharField(label=_("Tên đăng nhập"), widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(label=_("Mật khẩu"), strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khóa."),
    }
