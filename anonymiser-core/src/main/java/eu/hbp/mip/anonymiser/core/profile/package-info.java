/** Strict loading of YAML profiles, with errors that name the file, line and fix. */
package eu.hbp.mip.anonymiser.core.profile;
