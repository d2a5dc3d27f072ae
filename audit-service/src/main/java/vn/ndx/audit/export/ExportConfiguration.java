package vn.ndx.audit.export;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class ExportConfiguration implements WebMvcConfigurer {

    /**
     * CSV goes after the JSON converter: a client that accepts anything (curl, a browser) gets JSON, and
     * only one that asks for {@code text/csv} gets CSV.
     */
    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(converters -> converters.add(new CsvMessageConverter()));
    }
}
