"""LerenWerkt: van dossierregistratie leerplicht en Doorstroompunt naar het jaarverslag."""

__version__ = "0.1.0"
