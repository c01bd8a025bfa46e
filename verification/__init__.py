"""Theory-versus-experiment verification of GenEFT: the paper's autoencoder trained in ensembles."""
