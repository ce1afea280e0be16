package eu.hbp.mip.anonymiser.examples;

/** The runner's exit codes, documented in {@code --help} and {@code docs/runner.md}. */
final class ExitCodes {

    /** Everything done; nothing needs attention. */
    static final int OK = 0;
    /** Done, but some files need a person: quarantined inputs ({@code run}, {@code watch}), conflicts ({@code forward}). */
    static final int ATTENTION = 1;
    /** Wrong command line or configuration (no layout, bad key permissions, bad profile, store unreachable at start). */
    static final int CONFIG = 2;
    /** {@code verify} found an original value in an output file. */
    static final int LEAK = 3;
    /** The machine failed during the run (disk, permissions, store lost): files were given back to {@code in/}. */
    static final int FAILURE = 4;

    /** For picocli's {@code exitCodeList}. */
    static final String[] LIST = {
        "0:done; nothing needs attention",
        "1:done, but some files were quarantined (run, watch) or could not be forwarded (forward)",
        "2:wrong command line or configuration (no layout, key permissions, profile, store)",
        "3:verify found an original value in an output file (a leak)",
        "4:the machine failed during the run (disk, permissions, store); files were left in in/",
    };

    private ExitCodes() {
    }
}
