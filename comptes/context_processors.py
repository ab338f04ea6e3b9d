from comptes.models import Role

HOME_LABELS = {
    Role.PARENT: "Mon espace",
    Role.ASSMAT: "Mon espace",
    Role.ANIMATEUR: "Mon relais",
    Role.AGENT_CAF: "Espace CAF",
    Role.PARTENAIRE: "Nos orientations",
    Role.ADMIN: "Administration",
}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_home_label": ""}
    return {"nav_home_label": HOME_LABELS.get(user.role, "Mon espace")}
