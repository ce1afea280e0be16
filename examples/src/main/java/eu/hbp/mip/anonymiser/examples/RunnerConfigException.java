package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.AnonymiserException;

/** The runner's configuration is wrong: the message is one line saying what to fix (exit code 2). */
final class RunnerConfigException extends AnonymiserException {

    private static final long serialVersionUID = 1L;

    RunnerConfigException(String message) {
        super(message);
    }
}
