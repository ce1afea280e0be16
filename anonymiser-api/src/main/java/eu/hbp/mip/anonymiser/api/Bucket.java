package eu.hbp.mip.anonymiser.api;

/**
 * The quarantine bucket a rejected file goes to, one folder each under
 * {@code quarantine/} in the {@link FolderLayout}.
 */
public enum Bucket {
    /** EHR data files: {@code quarantine/csv}. */
    CSV("csv"),
    /** Imaging data files: {@code quarantine/dicom}. */
    DICOM("dicom"),
    /** Data retrieved through a PACS connection: {@code quarantine/pacs}. */
    PACS("pacs"),
    /** Any other failure, such as an unrecognised file type: {@code quarantine/unknown}. */
    UNKNOWN("unknown");

    private final String folder;

    Bucket(String folder) {
        this.folder = folder;
    }

    /** @return the folder name under {@code quarantine/} */
    public String folder() {
        return folder;
    }
}
