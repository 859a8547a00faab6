"""The Network page: the tree of who introduced whom, coloured by how far each person got,
and the figures that show whether "who else should I talk to?" grows the network."""
