"""The single source of the package and data version, and of the name it installs by."""

__version__ = "0.2.0"
#: The name the package is installed by (`pip install foreign-fighters-data`); it imports
#: as ``ffdata``. ``ffdata`` on the package index is another project's.
DISTRIBUTION = "foreign-fighters-data"
