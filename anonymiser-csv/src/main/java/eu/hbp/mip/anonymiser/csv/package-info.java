/** The Csv anonymiser and its provider; nothing here is public API. */
package eu.hbp.mip.anonymiser.csv;
