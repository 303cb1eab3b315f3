from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User


class UsernameOrPhoneBackend(ModelBackend):
    """Deputies log in with their mobile number; staff usually with a username. Both work."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        username = username.strip()
        user = User.objects.filter(Q(username__iexact=username) | Q(phone=username)).order_by("pk").first()
        if user is None:
            User().set_password(password)  # equalise timing against user enumeration
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
