/** A trivial third format for the project's own tests; exports nothing. */
module eu.hbp.mip.anonymiser.testformat {
    requires eu.hbp.mip.anonymiser.api;

    provides eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider
            with eu.hbp.mip.anonymiser.testformat.NotesProvider;
}
