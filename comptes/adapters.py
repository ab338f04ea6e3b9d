from allauth.account.adapter import DefaultAccountAdapter

from comptes.models import SELF_SIGNUP_ROLES, Role


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        role = form.cleaned_data.get("role")
        # Defence in depth: the form only offers these, a forged POST must not make staff.
        user.role = role if role in SELF_SIGNUP_ROLES else Role.PARENT
        if commit:
            user.save()
        return user
