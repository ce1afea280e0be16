package eu.hbp.mip.anonymiser.core.move;

/** Which characters of an input's path make it unsafe to name files after. */
final class Names {

    private Names() {
    }

    /**
     * @return whether {@code cp} is a control character, an invisible format character
     *         (bidirectional overrides, zero-width), a line or paragraph separator, a lone
     *         surrogate, or the replacement character left by bytes that are not valid text
     */
    static boolean unsafe(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || cp == 0xFFFD
                || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** @return whether any character of {@code name} is {@linkplain #unsafe(int) unsafe} */
    static boolean hasUnsafe(String name) {
        return name.codePoints().anyMatch(Names::unsafe);
    }
}
