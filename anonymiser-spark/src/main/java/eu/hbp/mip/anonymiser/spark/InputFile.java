package eu.hbp.mip.anonymiser.spark;

import java.io.Serializable;

/**
 * One input, as the driver listed it.
 *
 * @param relative its path below the input location, '/'-separated (it may hold a patient's
 *        name: never logged, never part of an output name)
 * @param size its length in bytes
 */
record InputFile(String relative, long size) implements Serializable {
    private static final long serialVersionUID = 1L;
}
