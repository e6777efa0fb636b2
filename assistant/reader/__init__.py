"""The reader: candidate figures with features, a learned scorer, and calibrated answer confidence."""
