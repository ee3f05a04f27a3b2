from django.utils.functional import SimpleLazyObject

from pokja.selectors import programmes_with_roles_for


def navigation(request):
    """The signed-in person's programmes for the menu; queried only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_programmes": SimpleLazyObject(lambda: list(programmes_with_roles_for(user)[:20]))}
