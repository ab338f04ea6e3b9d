from django.contrib import messages
from django.shortcuts import redirect, render

from comptes.forms import ProfilForm
from comptes.models import Role
from comptes.permissions import role_required


@role_required(*Role)
def profil(request):
    form = ProfilForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Vos informations ont été enregistrées.")
        return redirect("comptes:profil")
    return render(request, "comptes/profil.html", {"form": form})
