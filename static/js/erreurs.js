// A form sent back with errors (templates/_resume_erreurs.html): the focus goes to the summary, so that a
// screen reader reads it at once and the keyboard is one Tab away from the links to the fields (RGAA 11.10).
// A link of the summary puts the focus in its field: following an anchor alone only scrolls to it.
document.addEventListener("DOMContentLoaded", () => {
  const resume = document.getElementById("resume-erreurs");
  if (!resume) {
    return;
  }
  resume.focus();
  resume.addEventListener("click", (event) => {
    const lien = event.target.closest("a[href^='#']");
    const champ = lien && document.getElementById(decodeURIComponent(lien.hash.slice(1)));
    if (champ) {
      event.preventDefault();
      champ.focus();
      champ.scrollIntoView({ block: "center" });
    }
  });
});
