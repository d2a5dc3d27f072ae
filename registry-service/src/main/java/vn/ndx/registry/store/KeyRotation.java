package vn.ndx.registry.store;

import org.springframework.stereotype.Component;
import vn.ndx.registry.keys.SigningKeys;

/**
 * Rotates the signing key without rejecting a token: the new key is first published to the data plane
 * (in a committed snapshot), and signs only after; the old key stays published until its tokens expire.
 */
@Component
public class KeyRotation {

    private final SigningKeys keys;
    private final RegistryStore store;

    KeyRotation(SigningKeys keys, RegistryStore store) {
        this.keys = keys;
        this.store = store;
    }

    /** Returns the id of the key that signs from now on. */
    public synchronized String rotate(String actor) {
        String next = keys.prepareNext();
        store.change(actor, "signing-key.published", next, null, data -> data);
        keys.activate(next);
        store.change(actor, "signing-key.activated", next, null, data -> data);
        return next;
    }
}
