"""Authentication backend: the signed-in user arrives with their membership in one query."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class MembershipModelBackend(ModelBackend):
    """ModelBackend whose `get_user` (run on every request) also loads the membership, its
    organisation and client company, which nearly every page and API call reads next."""

    def get_user(self, user_id):
        user = (
            self.user_model_for_lookup()
            .select_related("membership__organisation", "membership__company")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def user_model_for_lookup():
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager
