/**
 * Personal data in events, erasable without rewriting the log (crypto-shredding): {@link
 * dev.eventfold.eventstore.privacy.PersonalDataProtection} encrypts the fields a {@link
 * dev.eventfold.eventstore.privacy.PersonalDataPolicy} names with a key per data subject from a {@link
 * dev.eventfold.eventstore.privacy.KeyStore}, decrypts them on read, and forgets a subject by destroying its keys. See
 * {@code docs/compliance.md}.
 */
package dev.eventfold.eventstore.privacy;
