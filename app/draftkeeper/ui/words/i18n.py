"""The window's language: the ``language`` setting (auto: the system locale) picks the
locale; Draft Keeper's catalogue (draftkeeper.resources/translations) and Qt's own (standard
buttons and dialogs) are installed for it."""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

CATALOGUES = {QLocale.Language.Chinese: "zh_CN"}


def locale_for(language: str, system: QLocale | None = None) -> QLocale:
    """The locale the window uses for the ``language`` setting."""
    if language == "zh":
        return QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    if language == "en":
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return system or QLocale.system()


class Translations:
    """Installs the translators for one locale; ``remove`` takes them out again."""

    def __init__(self) -> None:
        self.installed: list[QTranslator] = []
        self.locale = QLocale()

    def install(self, language: str, system: QLocale | None = None) -> QLocale:
        self.remove()
        self.locale = locale_for(language, system)
        QLocale.setDefault(self.locale)
        suffix = CATALOGUES.get(self.locale.language())
        if suffix is None:
            return self.locale  # English: the sources are the words
        ours = (resources.files("draftkeeper.resources") / "translations"
                / f"draftkeeper_{suffix}.qm")
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, folder in ((str(ours), ""), (f"qtbase_{suffix}", qt_dir)):
            translator = QTranslator()
            if translator.load(name, folder):
                QCoreApplication.installTranslator(translator)
                self.installed.append(translator)
        return self.locale

    def remove(self) -> None:
        for translator in self.installed:
            QCoreApplication.removeTranslator(translator)
        self.installed = []
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
