package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.PseudonymStore;

import java.time.LocalDate;
import java.util.List;

/**
 * The output name of an anonymised instance, in the MIP data-capture layout:
 * {@code DICOM/<yyyy>/<yyyyMMdd>/<scan_research_id>/<series>/<instance>.dcm}. Nothing of the
 * input's file or folder name is used.
 * <ul>
 *   <li>{@code yyyy}, {@code yyyyMMdd}: the export date (the context's clock, UTC);</li>
 *   <li>{@code scan_research_id}: the pseudonym of one visit of one patient,
 *       {@code store.pseudonym("visit", PatientID + "\" + StudyInstanceUID)} (original values);</li>
 *   <li>{@code series}: SeriesNumber zero-padded to 4 digits, or, when absent or negative, the
 *       pseudonym of the SeriesInstanceUID in the {@code series} domain;</li>
 *   <li>{@code instance}: InstanceNumber zero-padded to 5 digits; when absent, {@code p} and the
 *       position along the slice normal (ImagePositionPatient · (row × column direction)), in
 *       micrometres offset by 10<sup>8</sup>, zero-padded to 9 digits, so that names sort in slice
 *       order; when that is absent too, the pseudonym of the SOPInstanceUID ({@code instance} domain).</li>
 * </ul>
 * Two inputs that get one name are told apart by the mover ({@code -1}, {@code -2}).
 */
final class OutputNames {

    private OutputNames() {
    }

    static String name(LocalDate exportDate, PseudonymStore store, String patientId, String studyUid,
                       String seriesNumber, String seriesUid, String instanceNumber,
                       List<String> position, List<String> orientation, String sopUid) {
        String visit = store.pseudonym("visit", patientId + "\\" + studyUid);
        String series = number(seriesNumber, 4);
        if (series == null) {
            series = store.pseudonym("series", seriesUid.isEmpty() ? patientId + "\\" + studyUid : seriesUid);
        }
        String instance = number(instanceNumber, 5);
        if (instance == null) {
            Double along = along(position, orientation);
            if (along != null && Math.abs(along) < 100_000) {
                instance = String.format("p%09d", Math.round(along * 1000) + 100_000_000L);
            } else {
                instance = store.pseudonym("instance", sopUid);
            }
        }
        return String.format("DICOM/%04d/%04d%02d%02d/%s/%s/%s.dcm", exportDate.getYear(), exportDate.getYear(),
                exportDate.getMonthValue(), exportDate.getDayOfMonth(), visit, series, instance);
    }

    private static String number(String text, int width) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(text.strip().startsWith("+") ? text.strip().substring(1) : text.strip());
            if (n < 0 || n > 999_999_999L) {
                return null;
            }
            return String.format("%0" + width + "d", n);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The position along the slice normal, or null without a valid position and orientation. */
    static Double along(List<String> position, List<String> orientation) {
        if (position.size() != 3 || orientation.size() != 6) {
            return null;
        }
        try {
            double[] p = new double[3];
            double[] o = new double[6];
            for (int i = 0; i < 3; i++) {
                p[i] = Double.parseDouble(position.get(i));
            }
            for (int i = 0; i < 6; i++) {
                o[i] = Double.parseDouble(orientation.get(i));
            }
            double nx = o[1] * o[5] - o[2] * o[4];
            double ny = o[2] * o[3] - o[0] * o[5];
            double nz = o[0] * o[4] - o[1] * o[3];
            double d = p[0] * nx + p[1] * ny + p[2] * nz;
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
