# One image for web (gunicorn), worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango and HarfBuzz's subsetter (without it CJK subsetting is ~5x slower);
# Noto CJK gives real Simplified Chinese glyphs in the dossiers; gettext compiles translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-wqy-microhei \
      gettext nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN DEBUG=true python manage.py compilemessages --ignore "node_modules/*" -v 0 \
 && SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --no-input -v 0

RUN useradd --create-home grantdesk && mkdir -p /srv/media && chown grantdesk /srv/media /app
USER grantdesk
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
