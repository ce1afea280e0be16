package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.spi.Removal;

import java.nio.file.Path;

/**
 * Child-JVM entry of {@link SubjectRemovalMemoryTests}: removes one subject from one output
 * with whatever heap the parent gave it and prints {@code removed=<n>}. Not a test.
 */
final class SubjectRemovalMemoryMain {

    private SubjectRemovalMemoryMain() {
    }

    public static void main(String[] args) throws Exception {
        Removal r = new CsvAnonymiserProvider().removeSubject(Path.of(args[0]), args[1], Path.of(args[2]));
        System.out.println("removed=" + r.records() + " deleteFile=" + r.deleteFile()
                + " maxHeapMB=" + Runtime.getRuntime().maxMemory() / (1 << 20));
    }
}
