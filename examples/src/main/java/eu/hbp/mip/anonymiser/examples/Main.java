package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.AnonymiserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The folder runner's entry point: {@code java -jar mip-anonymiser.jar <command>}.
 * Commands: {@code init}, {@code run}, {@code watch}, {@code status}, {@code verify},
 * {@code forward}, {@code forget}, {@code pacs}; each has {@code --help}. Exit codes are listed in
 * {@link ExitCodes} and in {@code docs/runner.md}.
 */
@Command(name = "mip-anonymiser", mixinStandardHelpOptions = true, version = "MIP Anonymiser " + Main.VERSION,
        description = {"Pseudonymises hospital data (imaging, health records) for the Medical Informatics Platform:"
                + " every file in in/ is moved to out/ (anonymised) or to quarantine/<kind>/ (with a reason).",
                "Start with 'init --data DIR', then 'run --data DIR'."},
        subcommands = {InitCommand.class, RunCommand.class, WatchCommand.class, StatusCommand.class,
            VerifyCommand.class, ForwardCommand.class, ForgetCommand.class, ReidentifyCommand.class,
            ExportMappingCommand.class, ExplainCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:done; nothing needs attention",
            "1:done, but files were quarantined or could not be forwarded",
            "2:wrong command line or configuration",
            "3:verify found a leak",
            "4:the machine failed during the run"})
public final class Main implements Runnable {

    /** The runner's version, written into every run report. */
    public static final String VERSION = "0.1.0";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Use {@link #commandLine()} or {@link #main}. */
    public Main() {
    }

    /** Without a command, prints the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /**
     * Runs the runner and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with every subcommand and the runner's error handling: a
     * configuration error prints one line (no stack trace) and gives exit code 2.
     *
     * @return a fresh command line; call {@code execute(args)} on it
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("pacs", PacsCommand.commandLine(System.getenv()));
        cl.addSubcommand("dimse", DimseCommand.commandLine());
        cl.setExecutionExceptionHandler(Main::handle);
        return cl;
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        String command = cl.getCommandName();
        if (e instanceof AnonymiserException || e instanceof IllegalArgumentException) {
            cl.getErr().println(command + ": error: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            // The message of an I/O error names a path, which may come from in/: print the kind only.
            cl.getErr().println(command + ": failed: " + e.getClass().getSimpleName()
                    + "; check disk space, permissions and that the folders exist");
            return ExitCodes.FAILURE;
        }
        cl.getErr().println(command + ": internal error: " + e.getClass().getName()
                + "; please report it with the command line used");
        return ExitCodes.FAILURE;
    }
}
