/**
 * Not API. Classes that store implementations of this project share; they may change in any release.
 */
package dev.eventfold.eventstore.internal;
