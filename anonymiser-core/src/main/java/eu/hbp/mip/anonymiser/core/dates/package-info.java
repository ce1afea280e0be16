/** Date reduction (to the year or month) and keyed per-subject date shifting. */
package eu.hbp.mip.anonymiser.core.dates;
