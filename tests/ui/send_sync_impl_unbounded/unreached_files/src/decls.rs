mod included;
