package eu.hbp.mip.anonymiser.dicom;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Images for the burned-in text check: a 256x128 picture (a dark gradient with a bright disc)
 * with the header's PHI rendered into its pixels by Java2D, or the same picture without text
 * (the twin), written as DICOM with DCMTK through {@link Corpus}.
 */
final class OcrCorpus {

    static final int ROWS = 128;
    static final int COLUMNS = 256;
    /** The PHI of the corpus header, as a device would burn it in. */
    static final String PHI = "DOE^JOHNATHAN HOSP-4711 15.02.1970";

    enum Kind { GREY8, GREY16, RGB }

    private OcrCorpus() {
    }

    /**
     * @param text the text to burn in, or null for the twin
     * @param textY the baseline row of the text
     */
    static Path image(Path dir, String name, String modality, String imageType, Kind kind, String text, int textY) {
        return image(dir, name, modality, imageType, kind, text, textY, 1);
    }

    /** A multi-frame image: the text (if any) is in the last frame only, the others are twins. */
    static Path image(Path dir, String name, String modality, String imageType, Kind kind, String text, int textY,
                      int frames) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int f = 0; f < frames; f++) {
            byte[] p = pixels(kind, f == frames - 1 ? text : null, textY);
            all.write(p, 0, p.length);
        }
        return write(dir, name, modality, imageType, kind, all.toByteArray(), frames);
    }

    private static byte[] pixels(Kind kind, String text, int textY) {
        BufferedImage img = new BufferedImage(COLUMNS, ROWS, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        for (int x = 0; x < COLUMNS; x++) {
            g.setColor(new Color(10 + x / 6, 10 + x / 6, 10 + x / 6));
            g.drawLine(x, 0, x, ROWS);
        }
        g.setColor(new Color(120, 120, 120));
        g.fillOval(150, 40, 70, 70);
        if (text != null) {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(text, 6, textY);
        }
        g.dispose();
        byte[] grey = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        byte[] pixels;
        switch (kind) {
            case GREY8 -> pixels = grey;
            case GREY16 -> {
                ByteBuffer bb = ByteBuffer.allocate(grey.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (byte b : grey) {
                    bb.putShort((short) ((b & 0xFF) * 16));   // 12 bits stored
                }
                pixels = bb.array();
            }
            default -> {
                pixels = new byte[grey.length * 3];
                for (int i = 0; i < grey.length; i++) {
                    pixels[3 * i] = grey[i];
                    pixels[3 * i + 1] = (byte) ((grey[i] & 0xFF) * 9 / 10);
                    pixels[3 * i + 2] = grey[i];
                }
            }
        }
        return pixels;
    }

    private static Path write(Path dir, String name, String modality, String imageType, Kind kind, byte[] pixels,
                              int frames) {
        try {
            Files.createDirectories(dir);
            Path raw = dir.resolve(name + "-pixels.raw");
            Files.write(raw, pixels);
            Map<String, String> o = new HashMap<>();
            o.put("(0008,0008)", "(0008,0008) CS [" + imageType + "]");
            o.put("(0008,0060)", "(0008,0060) CS [" + modality + "]");
            o.put("(0008,0016)", "(0008,0016) UI [" + switch (modality) {
                case "US" -> "1.2.840.10008.5.1.4.1.1.6.1";
                case "DX" -> "1.2.840.10008.5.1.4.1.1.1.1";
                case "SC" -> "1.2.840.10008.5.1.4.1.1.7";
                default -> "1.2.840.10008.5.1.4.1.1.4";
            } + "]");
            o.put("(0028,0010)", "(0028,0010) US " + ROWS);
            o.put("(0028,0011)", "(0028,0011) US " + COLUMNS);
            int bits = kind == Kind.GREY16 ? 16 : 8;
            o.put("(0028,0100)", "(0028,0100) US " + bits);
            o.put("(0028,0101)", "(0028,0101) US " + (kind == Kind.GREY16 ? 12 : 8));
            o.put("(0028,0102)", "(0028,0102) US " + (kind == Kind.GREY16 ? 11 : 7));
            if (frames > 1) {
                o.put("(0028,0008)", "(0028,0008) IS [" + frames + "]");
            }
            if (kind == Kind.RGB) {
                o.put("(0028,0002)", "(0028,0002) US 3");
                o.put("(0028,0004)", "(0028,0004) CS [RGB]");
                o.put("(0028,0006)", "(0028,0006) US 0");
            }
            o.put("(7fe0,0010)", "(7fe0,0010) " + (bits == 8 ? "OB" : "OW") + " =" + raw);
            Path out = Corpus.instance(dir, name, 1, o, "+te");
            Files.delete(raw);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path ultrasound(Path dir, String name, String text) {
        return image(dir, name, "US", "ORIGINAL\\PRIMARY", Kind.GREY8, text, 20);
    }
}
