from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User


def account_for_login(typed: str) -> User | None:
    """The account a login name designates: a username in any letter case, or a mobile number.
    The one rule both authentication and lockout use, so a lock cannot be dodged by retyping."""
    typed = (typed or "").strip()
    if not typed:
        return None
    return User.objects.filter(Q(username__iexact=typed) | Q(phone=typed)).order_by("pk").first()


def lockout_username(request, credentials=None) -> str:
    """django-axes ``AXES_USERNAME_CALLABLE``: failures and locks are recorded against the account
    (its username), whatever the visitor typed (``CHAIR4``, ``Chair4`` or the phone number)."""
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = getattr(request, "POST", {}).get("username", "")
    typed = str(typed or "").replace("\x00", "").strip()
    user = account_for_login(typed)
    return user.username if user is not None else typed.casefold()


class UsernameOrPhoneBackend(ModelBackend):
    """Deputies log in with their mobile number; staff usually with a username. Both work."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = account_for_login(username.replace("\x00", ""))
        if user is None:
            User().set_password(password)  # equalise timing against user enumeration
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
