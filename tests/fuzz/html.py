"""Reads the `<form>`s of a page and its visible text, with the standard library's HTML parser."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Champ:
    nom: str
    genre: str  # text, email, date, number, select, textarea, checkbox, radio, hidden, file, ...
    valeur: str = ""
    options: list[str] = field(default_factory=list)  # select options / radio and checkbox values
    multiple: bool = False
    coche: bool = False  # a checked checkbox or radio
    requis: bool = False


@dataclass
class Formulaire:
    action: str
    methode: str
    multipart: bool
    champs: dict[str, Champ] = field(default_factory=dict)
    boutons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons (name, value)

    def champs_a_remplir(self) -> list[Champ]:
        return [champ for nom, champ in self.champs.items() if nom != "csrfmiddlewaretoken"]


class _Lecteur(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.formulaires: list[Formulaire] = []
        self._courant: Formulaire | None = None
        self._select: Champ | None = None
        self._option: list | None = None
        self._textarea: Champ | None = None
        self._ignore = 0
        self.texte: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: C901, PLR0912 - one branch per HTML element
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag in ("script", "style"):
            self._ignore += 1
        elif tag == "form":
            self._courant = Formulaire(
                action=a.get("action", ""),
                methode=a.get("method", "get").lower(),
                multipart="multipart" in a.get("enctype", ""),
            )
            self.formulaires.append(self._courant)
        elif self._courant is None or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            genre = a.get("type", "text").lower()
            if genre in ("submit", "image"):
                self._courant.boutons.append((a["name"], a.get("value", "")))
                return
            if genre == "button" or genre == "reset":
                return
            nom = a["name"]
            existant = self._courant.champs.get(nom)
            if genre in ("checkbox", "radio") and existant is not None:
                existant.options.append(a.get("value", "on"))
                existant.multiple = existant.multiple or genre == "checkbox"
                existant.coche = existant.coche or "checked" in a
                return
            champ = Champ(nom=nom, genre=genre, valeur=a.get("value", ""), requis="required" in a)
            if genre in ("checkbox", "radio"):
                champ.options, champ.coche = [a.get("value", "on")], "checked" in a
            self._courant.champs[nom] = champ
        elif tag == "button" and a.get("name") and a.get("type", "submit") == "submit":
            self._courant.boutons.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = Champ(nom=a["name"], genre="select", multiple="multiple" in a, requis="required" in a)
            self._courant.champs[a["name"]] = self._select
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea" and a.get("name"):
            self._textarea = Champ(nom=a["name"], genre="textarea", requis="required" in a)
            self._courant.champs[a["name"]] = self._textarea

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._ignore = max(0, self._ignore - 1)
        elif tag == "form":
            self._courant = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._fin_option()
        elif tag == "textarea":
            self._textarea = None

    def _fin_option(self):
        if self._option is not None and self._select is not None:
            valeur, choisie, texte = self._option
            valeur = texte.strip() if valeur is None else valeur
            self._select.options.append(valeur)
            if choisie:
                self._select.valeur = valeur
        self._option = None

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea.valeur += data
        if not self._ignore:
            self.texte.append(data)


def lire(html: str) -> _Lecteur:
    lecteur = _Lecteur()
    lecteur.feed(html)
    lecteur.close()
    return lecteur


def formulaires(html: str) -> list[Formulaire]:
    return lire(html).formulaires


def texte_visible(html: str) -> str:
    return " ".join(" ".join(lire(html).texte).split())
