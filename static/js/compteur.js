// Every length limit is seen before typing: under each text field with a limit (maxlength), « 0 caractère sur
// 500 », updated as the person types. The visible counter is read with the field (aria-describedby); a separate
// polite live region repeats it once typing pauses, so that a screen reader is not interrupted at every key.
document.addEventListener("DOMContentLoaded", () => {
  // Short limits (a postcode, a phone number) speak for themselves.
  const SEUIL = 50;
  const PAUSE_MS = 1000;

  const texte = (longueur, limite) => {
    const compte = `${longueur} ${longueur > 1 ? "caractères" : "caractère"} sur ${limite}`;
    return longueur >= limite ? `${compte} : limite atteinte` : compte;
  };

  const champs = document.querySelectorAll(
    "textarea[maxlength], input[maxlength][type='text'], input[maxlength][type='email'], input[maxlength]:not([type])",
  );
  champs.forEach((champ) => {
    const limite = champ.maxLength;
    if (!champ.id || limite < SEUIL) {
      return;
    }
    const compteur = document.createElement("div");
    compteur.id = `${champ.id}-compteur`;
    compteur.className = "form-text compteur";
    const annonce = document.createElement("div");
    annonce.className = "visually-hidden";
    annonce.setAttribute("aria-live", "polite");
    champ.insertAdjacentElement("afterend", compteur);
    compteur.insertAdjacentElement("afterend", annonce);
    const decrits = (champ.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    champ.setAttribute("aria-describedby", [...decrits, compteur.id].join(" "));

    let minuterie = null;
    const mettreAJour = () => {
      compteur.textContent = texte(champ.value.length, limite);
    };
    mettreAJour();
    champ.addEventListener("input", () => {
      mettreAJour();
      clearTimeout(minuterie);
      minuterie = setTimeout(() => {
        annonce.textContent = compteur.textContent;
      }, PAUSE_MS);
    });
  });
});
