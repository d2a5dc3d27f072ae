package vn.ndx.registry.token;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

@Configuration(proxyBeanMethods = false)
class TokenConfiguration {

    /** bcrypt at cost 10: about 70 ms a check here, paid once per token, not per call. */
    @Bean
    PasswordEncoder clientSecretEncoder() {
        return new BCryptPasswordEncoder(10);
    }
}
