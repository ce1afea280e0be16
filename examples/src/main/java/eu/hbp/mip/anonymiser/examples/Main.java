package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;

/** The folder runner's entry point. */
public final class Main {

    private Main() {
    }

    /** @param args command-line arguments */
    public static void main(String[] args) {
        AnonymiserRegistry registry = AnonymiserRegistry.discover();
        System.out.println("providers: " + registry.providers().keySet());
    }
}
